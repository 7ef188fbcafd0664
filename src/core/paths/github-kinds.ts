// The GitHub path's step kinds and step ids, apart from its module so its residual report can name
// them without importing the module that imports it.
export const GITHUB_KINDS = {
  removeMember: 'github.removeOrgMember',
  suspendUser: 'github.suspendManagedUser',
  reactivateUser: 'github.reactivateManagedUser',
} as const;

export const GITHUB_STEP_IDS = {
  removeMember: 'github-remove-member',
  suspendUser: 'github-suspend-user',
  reactivateUser: 'restore-github-user',
} as const;
