/** A shard's write limit (AWS, provisioned mode): records per second and bytes per second. */
export const SHARD_RECORDS_PER_SEC = 1000;
export const SHARD_BYTES_PER_SEC = 1024 * 1024;

/**
 * One shard's write limit as two token buckets that refill continuously and hold one second's
 * worth (burst = rate × 1 s): a record takes one record token and `bytes` (data + partition key)
 * byte tokens, both or neither. Refused, the record fails with
 * ProvisionedThroughputExceededException. Pure: time is passed in (monotonic ms).
 */
export class WriteLimit {
  private records: number;
  private bytes: number;
  private last: number;

  constructor(
    nowMs: number,
    private readonly recordsPerSec = SHARD_RECORDS_PER_SEC,
    private readonly bytesPerSec = SHARD_BYTES_PER_SEC,
  ) {
    this.records = recordsPerSec;
    this.bytes = bytesPerSec;
    this.last = nowMs;
  }

  /** Takes the tokens of one record of `bytes` bytes at `nowMs`; false means over the limit (nothing taken). */
  tryTake(nowMs: number, bytes: number): boolean {
    if (nowMs > this.last) {
      const elapsed = (nowMs - this.last) / 1000;
      this.records = Math.min(this.recordsPerSec, this.records + elapsed * this.recordsPerSec);
      this.bytes = Math.min(this.bytesPerSec, this.bytes + elapsed * this.bytesPerSec);
      this.last = nowMs;
    }
    if (this.records < 1 || this.bytes < bytes) return false;
    this.records -= 1;
    this.bytes -= bytes;
    return true;
  }
}
