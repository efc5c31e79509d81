// oidc-provider ships no type declarations; the tests drive it through its documented API.
declare module 'oidc-provider';
