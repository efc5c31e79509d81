/**
 * Fictional ids shared by the OpenAPI examples, so that one example's member owns the next
 * example's asset and the documentation reads as one story (a flood in the Alpes-Maritimes).
 */
export const EXAMPLE_ID = {
  user: '5a7c9e1b-2d4f-4a6b-8c0d-1e3f5a7b9c2d',
  member: 'c2a7e5d1-4b3f-4e8a-9d6c-1f0b2a3c4d5e',
  otherMember: '6b8d0f2a-4c6e-4a8c-8e0a-2c4e6a8c0e2a',
  contact: 'd6f8b0c2-4e6a-4c8e-8a3c-7e9b1d3f5a7c',
  directorateContact: '9c1e3a5c-7e9b-4d1f-a3b5-c7e9f1a3b5c7',
  asset: 'a1d3f5b7-9c2e-4f6a-8b0d-2e4f6a8c0e1b',
  otherAsset: 'a7c9e1b3-5d7f-4a2c-9e4b-6d8f0a2c4e6b',
  unavailability: '2c4e6a8c-0e2a-4c6e-8a0c-4e6a8c0e2a4c',
  offer: '7e9b1d3f-5a7c-4e9b-9d2f-4a6c8e0b2d4f',
  convention: '3f9d2c4e-8a1b-4c6d-9e2f-7a5b1c3d8e40',
  crisis: 'e5b7d9f1-3a5c-4e7a-8c2e-4a6c8e0b2d4f',
  activation: 'b8d0f2a4-6c8e-4a1c-9e3a-5c7e9b1d3f5a',
  requirement: '1d3f5a7c-9e1b-4d3f-8a5c-7e9b1d3f5a7c',
  request: 'f4a6c8e0-2b4d-4f6a-8e1c-3e5a7c9e1b3d',
} as const;
