"""Ports (Protocols) and their adapters: `local` (SQLite + files) and `aws` (DynamoDB, S3, SES, SNS)."""
