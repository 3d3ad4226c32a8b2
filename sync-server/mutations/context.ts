/** Who is applying a mutation, and its place in that desktop's sequence. */
export interface MutationContext {
  tenantId: string;
  memberId: string;
  /** How people see the author in a conflict: "Dana Ortiz (dispatcher)". */
  author: string;
  clientId: string;
  mutationId: number;
  /** The edit's clock as accepted (clamped when it ran ahead of the server). */
  hlc: string;
}
