"""pgbench's per-transaction logs (PostgreSQL 15, --log without aggregation): one line per
transaction, `client_id transaction_no time script_no time_epoch time_us [schedule_lag]`.
`time` is the latency in microseconds (with --rate counted from when the transaction was
scheduled); time_epoch.time_us is when it ended."""
import glob


def transactions(log_prefix):
    """(latency in seconds, end in epoch seconds) per transaction; None for a failed or
    skipped one."""
    for path in glob.glob(log_prefix + ".*"):
        with open(path) as log:
            for line in log:
                fields = line.split()
                if len(fields) < 6:
                    continue
                if not fields[2].isdigit():  # "failed" or "skipped"
                    yield None
                    continue
                yield int(fields[2]) / 1e6, int(fields[4]) + int(fields[5]) / 1e6
