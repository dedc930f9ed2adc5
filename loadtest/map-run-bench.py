#!/usr/bin/env python3
"""Runs one Distributed Map over a JSONL object already placed in the dev server's buckets and reports
how long it took: ItemBatcher 100, EXPRESS children of one Pass state, MaxConcurrency 1,000, results
written to a bucket (the children's outputs exceed what a Map state may return).

Usage: map-run-bench.py --endpoint URL --bucket B --key K --items N
Prints progress every 5 s (items done of N) and, at the end, one line of figures."""
import argparse, json, time, uuid
import boto3
from botocore.config import Config

p = argparse.ArgumentParser()
p.add_argument("--endpoint", required=True)
p.add_argument("--bucket", required=True)
p.add_argument("--key", required=True)
p.add_argument("--items", type=int, required=True)
p.add_argument("--batch", type=int, default=100)
p.add_argument("--concurrency", type=int, default=1000)
a = p.parse_args()

sfn = boto3.client("stepfunctions", endpoint_url=a.endpoint, region_name="us-east-1",
                   aws_access_key_id="x", aws_secret_access_key="x",
                   config=Config(retries={"max_attempts": 10, "mode": "standard"}))
definition = {"StartAt": "Items", "States": {"Items": {
    "Type": "Map", "MaxConcurrency": a.concurrency,
    "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSONL"},
                   "Parameters": {"Bucket": a.bucket, "Key": a.key}},
    "ItemBatcher": {"MaxItemsPerBatch": a.batch},
    "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
                     "Parameters": {"Bucket": a.bucket, "Prefix": "results"}},
    "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                      "StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
    "End": True}}}
name = "map-bench-" + uuid.uuid4().hex[:8]
machine = sfn.create_state_machine(name=name, roleArn="arn:aws:iam::123456789012:role/stepstream",
                                   definition=json.dumps(definition))["stateMachineArn"]
started = time.time()
execution = sfn.start_execution(stateMachineArn=machine, input="{}")["executionArn"]
map_run = None
last = 0
while True:
    d = sfn.describe_execution(executionArn=execution)
    if map_run is None:
        runs = sfn.list_map_runs(executionArn=execution)["mapRuns"]
        map_run = runs[0]["mapRunArn"] if runs else None
    if map_run and time.time() - last >= 5:
        r = sfn.describe_map_run(mapRunArn=map_run)
        c = r["itemCounts"]
        print(f"{time.time() - started:7.1f} s  items succeeded {c['succeeded']:,} failed {c['failed']:,} "
              f"running {c['running']:,} of {a.items:,}; children running {r['executionCounts']['running']}",
              flush=True)
        last = time.time()
    if d["status"] != "RUNNING":
        break
    time.sleep(0.5)
elapsed = (d.get("stopDate").timestamp() if d.get("stopDate") else time.time()) - d["startDate"].timestamp()
r = sfn.describe_map_run(mapRunArn=map_run)
print(json.dumps({"status": d["status"], "items": r["itemCounts"]["total"],
                  "succeeded": r["itemCounts"]["succeeded"], "children": r["executionCounts"]["total"],
                  "seconds": round(elapsed, 1), "items_per_s": round(r["itemCounts"]["total"] / elapsed),
                  "error": d.get("error"), "cause": d.get("cause")}))
