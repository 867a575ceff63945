/** Failed sign-ins per key ('account:…' or 'address:…'), from migration 0004. */
export interface LoginThrottleTable {
  key: string;
  failures: number;
  last_failure_at: string;
  locked_until: string | null;
}
