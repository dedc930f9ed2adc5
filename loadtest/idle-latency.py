#!/usr/bin/env python3
"""Latency of one caller on an idle server: StartExecution of a Pass-only STANDARD state machine,
then DescribeExecution of it at once, 100 times in a row after 10 warm-up starts (boto3, no retries).

  python3 loadtest/idle-latency.py http://127.0.0.1:8083
"""
import statistics
import sys
import time
import uuid

import boto3
from botocore.config import Config


def percentile(values, fraction):
    return sorted(values)[int(len(values) * fraction)]


def main():
    sfn = boto3.client("stepfunctions", endpoint_url=sys.argv[1], region_name="us-east-1",
                       aws_access_key_id="x", aws_secret_access_key="y",
                       config=Config(retries={"max_attempts": 1}))
    machine = sfn.create_state_machine(
        name="idle-" + uuid.uuid4().hex[:6], roleArn="arn:aws:iam::123456789012:role/r",
        definition='{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}')["stateMachineArn"]
    for _ in range(10):
        sfn.start_execution(stateMachineArn=machine)
    starts, describes = [], []
    for _ in range(100):
        began = time.perf_counter()
        arn = sfn.start_execution(stateMachineArn=machine)["executionArn"]
        starts.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        sfn.describe_execution(executionArn=arn)
        describes.append((time.perf_counter() - began) * 1000)
    print("StartExecution p50 %.1f ms, p90 %.1f ms (mean %.1f); DescribeExecution p50 %.1f ms, p90 %.1f ms"
          % (percentile(starts, .5), percentile(starts, .9), statistics.mean(starts),
             percentile(describes, .5), percentile(describes, .9)))


if __name__ == "__main__":
    main()
