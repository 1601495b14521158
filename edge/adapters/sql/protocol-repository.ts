import { parseLearnedProfile, type LearnedProfile } from '../../core/mypos/profile-sources.js';
import type { ProtocolProfileStore } from '../../core/ports.js';
import type { SqlDatabase } from './sql-database.js';

// ProtocolProfileStore in SQLite: the one protocol profile the doctor learned (one row).

export class ProtocolRepository implements ProtocolProfileStore {
  constructor(private readonly db: SqlDatabase) {}

  async loadProtocolProfile(): Promise<LearnedProfile | undefined> {
    const row = this.db.prepare('SELECT profile FROM mypos_profile WHERE id = 1').get() as { profile: string } | undefined;
    // Parsed, not cast: a profile saved by an older edge may lack what this one expects.
    return row ? parseLearnedProfile(row.profile) : undefined;
  }

  async saveProtocolProfile(profile: LearnedProfile): Promise<void> {
    this.db.prepare('INSERT INTO mypos_profile (id, profile) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET profile = excluded.profile').run(JSON.stringify(profile));
  }
}
