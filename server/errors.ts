/** An error the API answers with as-is: `statusCode`, machine-readable `code`, message. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const unauthorized = (message: string) => new ApiError(401, 'UNAUTHORIZED', message);
export const notFound = (what: string) => new ApiError(404, 'NOT_FOUND', `${what} not found`);
