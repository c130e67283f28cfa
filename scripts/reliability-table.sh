#!/usr/bin/env bash
# Prints the compose fault suite's figures (one JSON object per scenario, as written to
# KVSTORE_RELIABILITY_OUT by KvHost.Tests/Compose/Faults) as the markdown table RELIABILITY.md holds.
#
#   scripts/reliability-table.sh [results/reliability.jsonl]
set -euo pipefail
file=${1:-results/reliability.jsonl}
[ -s "$file" ] || { echo "no figures in $file (did the fault suite run?)" >&2; exit 1; }

echo '| fault | W | ack mode | fault held (s) | load held (s) | load (writes/s) | attempted | acknowledged | 504 | unavailable | lost | unexpected | recovered | slowest 504 (ms) | caught up after heal (ms) | all equal after load stop (ms) | converged by | appliedSeq steps back | rules broken |'
echo '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |'
jq -r 'select(.fault != null) |
  def n: if . == null then "never" else tostring end;
  def opt: if . == null then "-" else tostring end;
  [ .fault, .writeQuorum, .ackMode, .faultSeconds, .loadSeconds, .loadWritesPerSecond, .attempted, .acknowledged,
    .notAcknowledged504, .unavailable, .lost, .unexpected, .recovered, (.max504Ms | opt),
    (.catchUpMs | n), (.convergeMs | n), .convergedBy, .appliedSeqBackwardSteps, .violations ]
  | map(tostring) | "| " + join(" | ") + " |"' "$file"

if jq -s -e 'any(.[]; .environments != null)' "$file" >/dev/null 2>&1; then
  echo
  echo '| generated requests (environment) | requests | 2xx | 4xx | 5xx | state changes (all predicted) | forged replication refused (401) | refused by Kestrel before the app |'
  echo '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'
  jq -r 'select(.environments != null) | (.environments[], .total)
    | [ .environment, .requests, .status2xx, .status4xx, .status5xx, .stateChanges, .forgedRefused, .refusedByKestrel ]
    | map(tostring) | "| " + join(" | ") + " |"' "$file"
fi

if jq -s -e 'any(.[]; .test == "ForgedReplication")' "$file" >/dev/null 2>&1; then
  echo
  echo '| forged replication on the compose followers | sent | answered as expected | followers changed |'
  echo '| --- | ---: | ---: | ---: |'
  jq -r 'select(.test == "ForgedReplication") | .attempts[] | [ .name, .sent, .asExpected, .followersChanged ] | map(tostring) | "| " + join(" | ") + " |"' "$file"
fi
