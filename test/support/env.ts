/**
 * Environment variables set for a test and put back after: `set` remembers each variable's value
 * before its first change (undefined: it was unset), `restore` puts every one back. A value of
 * undefined unsets the variable.
 */
export class TestEnv {
  private readonly saved = new Map<string, string | undefined>();

  set(vars: Record<string, string | undefined>): void {
    for (const [k, v] of Object.entries(vars)) {
      if (!this.saved.has(k)) this.saved.set(k, process.env[k]);
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }

  restore(): void {
    for (const [k, v] of this.saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    this.saved.clear();
  }
}
