#!/usr/bin/env python3
"""Describes executions in a loop through one or more endpoints and counts the answers (no retries):
run it while an instance is killed or restarted to see what callers get.

  python3 loadtest/describe-loop.py http://127.0.0.1:9103,http://127.0.0.1:9101 100 arns.json

arns.json: a JSON list of execution ARNs (running ones, so that the expected answer is 200 RUNNING).
"""
import collections
import json
import sys
import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoints, seconds, arn_file = sys.argv[1].split(","), float(sys.argv[2]), sys.argv[3]
clients = [boto3.client("stepfunctions", endpoint_url=e, region_name="us-east-1", aws_access_key_id="x",
                        aws_secret_access_key="x",
                        config=Config(retries={"total_max_attempts": 1}, connect_timeout=2, read_timeout=30))
           for e in endpoints]
arns = json.load(open(arn_file))
counts = collections.Counter()
began = time.time()
end = began + seconds
first_error = last_error = None
while time.time() < end:
    for arn in arns:
        for sfn in clients:
            try:
                counts["200 " + sfn.describe_execution(executionArn=arn)["status"]] += 1
                continue
            except ClientError as e:
                counts["%s %s" % (e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Code"])] += 1
            except Exception as e:  # connection refused and the like: the client's own failure
                counts["client " + type(e).__name__] += 1
            now = time.time() - began
            first_error = now if first_error is None else first_error
            last_error = now
print(dict(counts))
if first_error is not None:
    print("answers other than 200 from %.1f s to %.1f s after the start (%.1f s)"
          % (first_error, last_error, last_error - first_error))
