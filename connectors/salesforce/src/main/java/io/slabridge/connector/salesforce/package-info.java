/**
 * Salesforce connector: Cases in through camel-salesforce (SOQL polling of Case with its status and priority
 * history, CaseComment and EmailMessage), SLA fields and escalation comments out through sObject Collections,
 * up to 200 records a call. See docs/how-to/connect-salesforce.md.
 */
package io.slabridge.connector.salesforce;
