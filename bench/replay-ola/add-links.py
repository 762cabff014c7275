#!/usr/bin/env python3
"""Adds escalations to a generated history: every Nth Jira ticket becomes an engineering issue that the customer
ticket (Salesforce or mail) created just before it was escalated to, linked five minutes after the issue's creation.
The other events are copied as they are. Usage: add-links.py IN OUT N"""
import json
import sys
from datetime import datetime, timedelta

source, target, every = sys.argv[1], sys.argv[2], int(sys.argv[3])
created = []  # (at, ticket) of each ticket's created event, in file order
with open(source, encoding="utf-8") as f:
    for line in f:
        if '"created"' in line:
            e = json.loads(line)
            if e.get("type") == "created":
                created.append((e["at"], e["ticket"]))
created.sort()
links, jira_seen, last_customer = [], 0, None
for at, ticket in created:
    if ticket.startswith("jira:"):
        jira_seen += 1
        if jira_seen % every == 0 and last_customer is not None:
            when = datetime.fromisoformat(at.replace("Z", "+00:00")) + timedelta(minutes=5)
            stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
            links.append({"id": f"{last_customer}:linked:{ticket}", "ticket": last_customer, "at": stamp,
                          "type": "linked", "other": ticket})
    else:
        last_customer = ticket
with open(source, encoding="utf-8") as f, open(target, "w", encoding="utf-8") as out:
    for line in f:
        out.write(line)
    for link in links:
        out.write(json.dumps(link) + "\n")
print(f"{len(links)} linked pairs added to {target}")
