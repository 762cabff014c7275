-- The first Slack message of each ticket's metric cycle in a conversation: later steps reply in its thread.
CREATE TABLE IF NOT EXISTS slack_thread (
    conversation VARCHAR(200) NOT NULL,
    thread_key VARCHAR(1100) NOT NULL,
    channel_id VARCHAR(64) NOT NULL,
    ts VARCHAR(32) NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (conversation, thread_key)
);
