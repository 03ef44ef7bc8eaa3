import {
  ConflictException,
  NotFoundException,
  UnprocessableEntityException,
  type HttpException,
} from '@nestjs/common';

export interface OverlayErrorDetail {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

// Every error body is `{ message, code, details? }`; the app's filter adds statusCode and error.
export const notFound = (code: string, message: string): HttpException =>
  new NotFoundException({ message, code });

export const conflict = (code: string, message: string): HttpException =>
  new ConflictException({ message, code });

export const unprocessable = (
  code: string,
  message: string,
  details?: readonly OverlayErrorDetail[],
): HttpException => new UnprocessableEntityException({ message, code, ...(details ? { details } : {}) });
