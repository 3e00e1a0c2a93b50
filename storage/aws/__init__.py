"""The cloud backend: DynamoDB tables, an S3 bucket, SES email and SNS topics, through boto3."""
