#!/usr/bin/env python3
"""Read-your-writes and name-race probe, as a user of the AWS SDK (boto3) would script it.

Against a running Stepstream (any instance, or several: reads go to a different endpoint than
the write when more than one is given):

  python3 loadtest/read-your-writes.py --endpoint http://127.0.0.1:8083 [--endpoint http://...]

1. STARTS executions from THREADS threads (3 of 4 STANDARD, 1 of 4 EXPRESS), each followed at
   once by DescribeExecution and (STANDARD) GetExecutionHistory, and every 20th by a paged
   ListExecutions; counts every read that does not know the execution (no retries: botocore's
   retries are off, so a 503 counts too).
2. RACES pairs of StartExecution with the same name at the same moment: same input must give the
   same ARN twice, other input one ARN and one ExecutionAlreadyExists.

Prints the counts and exits 1 if any read missed or any race answered wrongly.
"""
import argparse
import json
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ROLE = "arn:aws:iam::123456789012:role/probe"


def client(endpoint):
    return boto3.client(
        "stepfunctions", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id="x", aws_secret_access_key="x",
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}, max_pool_connections=64,
                      inject_host_prefix=False))


def create(sfn, name, kind, definition):
    return sfn.create_state_machine(name=name, roleArn=ROLE, type=kind,
                                    definition=json.dumps(definition))["stateMachineArn"]


def error_of(call):
    try:
        call()
        return None
    except ClientError as e:
        return "%s %s" % (e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Code"])


def list_all(sfn, machine):
    arns, token = [], None
    while True:
        page = sfn.list_executions(stateMachineArn=machine, maxResults=100, **({"nextToken": token} if token else {}))
        arns += [e["executionArn"] for e in page["executions"]]
        token = page.get("nextToken")
        if not token:
            return arns


def starts(clients, count, threads, suffix):
    sfn = clients[0]
    standard = create(sfn, "probe-standard-" + suffix, "STANDARD", {
        "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "Next": "Done"}, "Done": {"Type": "Succeed"}}})
    express = create(sfn, "probe-express-" + suffix, "EXPRESS", {
        "StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    misses = {"DescribeExecution": 0, "GetExecutionHistory": 0, "ListExecutions": 0}
    examples = []
    lock = threading.Lock()
    done = [0]

    def one(n):
        writer = clients[n % len(clients)]
        reader = clients[(n + 1) % len(clients)]
        is_express = n % 4 == 3
        arn = writer.start_execution(stateMachineArn=express if is_express else standard,
                                     input=json.dumps({"n": n}))["executionArn"]
        checks = [("DescribeExecution", lambda: reader.describe_execution(executionArn=arn))]
        if not is_express:
            def history():
                types = [e["type"] for e in reader.get_execution_history(executionArn=arn)["events"]]
                if "ExecutionStarted" not in types:
                    raise ClientError({"Error": {"Code": "NoExecutionStarted"}, "ResponseMetadata": {"HTTPStatusCode": 200}},
                                      "GetExecutionHistory")
            checks.append(("GetExecutionHistory", history))
            if n % 20 == 0:
                def listed():
                    if arn not in list_all(reader, standard):
                        raise ClientError({"Error": {"Code": "NotListed"}, "ResponseMetadata": {"HTTPStatusCode": 200}},
                                          "ListExecutions")
                checks.append(("ListExecutions", listed))
        for what, check in checks:
            error = error_of(check)
            if error:
                with lock:
                    misses[what] += 1
                    if len(examples) < 5:
                        examples.append("%s %s: %s" % (what, arn, error))
        with lock:
            done[0] += 1
            if done[0] % 100 == 0:
                print("  %d of %d starts checked" % (done[0], count), flush=True)

    began = time.time()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, range(count)))
    took = time.time() - began
    print("starts: %d in %.1f s from %d threads; reads that missed: %s" % (count, took, threads, misses))
    for example in examples:
        print("  e.g. " + example)
    return sum(misses.values())


def races(clients, tries, threads, suffix):
    sfn = clients[0]
    machine = create(sfn, "probe-names-" + suffix, "STANDARD", {
        "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}})
    wrong = []

    def race(n):
        same = n % 2 == 0
        barrier = threading.Barrier(2)
        answers = [None, None]

        def side(i):
            body = {"try": n} if same else {"try": n, "side": i}
            barrier.wait()
            try:
                answers[i] = clients[i % len(clients)].start_execution(
                    stateMachineArn=machine, name="race-%d" % n, input=json.dumps(body))["executionArn"]
            except ClientError as e:
                answers[i] = e.response["Error"]["Code"]

        pair = [threading.Thread(target=side, args=(i,)) for i in (0, 1)]
        for t in pair:
            t.start()
        for t in pair:
            t.join()
        arn = machine.replace(":stateMachine:", ":execution:") + ":race-%d" % n
        right = answers == [arn, arn] if same else sorted(answers, key=str) == sorted([arn, "ExecutionAlreadyExists"])
        if not right:
            wrong.append("try %d (%s input): %s" % (n, "same" if same else "other", answers))

    began = time.time()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(race, range(tries)))
    print("name races: %d in %.1f s; wrong answers: %d" % (tries, time.time() - began, len(wrong)))
    for example in wrong[:5]:
        print("  e.g. " + example)
    return len(wrong)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoint", action="append", required=True)
    parser.add_argument("--starts", type=int, default=600)
    parser.add_argument("--races", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    clients = [client(e) for e in args.endpoint]
    suffix = uuid.uuid4().hex[:8]
    failures = starts(clients, args.starts, args.threads, suffix) + races(clients, args.races, args.threads, suffix)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
