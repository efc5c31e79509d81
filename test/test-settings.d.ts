export declare const TEST_DATABASE_URL: string;
export declare const TEST_REDIS_URL: string;
export declare function assertTestDatabase(url: string): string;
