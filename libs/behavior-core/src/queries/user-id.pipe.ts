import { Injectable, type PipeTransform } from '@nestjs/common';
import { badRequest } from '@lssm/nest-common';

/**
 * The longest userId ingestion accepts (its envelope schema: 1 to 256 characters, counted
 * as Unicode code points). Every `/users/{userId}/…` read accepts exactly the same ids.
 */
export const MAX_USER_ID_LENGTH = 256;

/**
 * The longest path parameter the router lets through, in UTF-16 code units (what Fastify's
 * `maxParamLength` counts after decoding): 256 code points outside the BMP take 512 units.
 */
export const MAX_PATH_PARAM_UNITS = MAX_USER_ID_LENGTH * 2;

/** Checks a `userId` path parameter against the ingestion rule; a 400 names the parameter. */
@Injectable()
export class UserIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    const length = [...value].length;
    if (length < 1 || length > MAX_USER_ID_LENGTH) {
      throw badRequest('invalid_request', 'The request is invalid', [
        {
          path: 'userId',
          code: length < 1 ? 'min_length' : 'max_length',
          message: `a userId has 1 to ${MAX_USER_ID_LENGTH} characters`,
        },
      ]);
    }
    return value;
  }
}
