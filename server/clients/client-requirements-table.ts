/** The client requirements table (migration 0006), as Kysely sees it. */
export interface ClientRequirementsTable {
  client_id: string;
  /** A ClientRequirements object as JSON text: new requirement kinds need no migration. */
  requirements_json: string;
  updated_at: string;
  updated_by_user_id: string;
}
