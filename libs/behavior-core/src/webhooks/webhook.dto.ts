import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';

export class CreateWebhookDto {
  @ApiProperty({
    example: 'https://hooks.example.com/behavior',
    description:
      'http or https; refused when it resolves to a private, loopback or link-local address (unless ai.behavior.webhooks.allowPrivateNetworks)',
  })
  @IsString()
  @Length(1, 2048)
  url: string;

  @ApiPropertyOptional({ example: 'On-call channel' })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  // PostgreSQL text cannot hold U+0000.
  // eslint-disable-next-line no-control-regex -- U+0000 is exactly the character refused
  @Matches(/^[^\u0000]*$/, { message: 'description must not contain U+0000' })
  description?: string;
}

export class WebhookDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() url: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class CreatedWebhookDto extends WebhookDto {
  @ApiProperty({
    description:
      'Signing secret (HMAC-SHA-256 key of X-Behavior-Signature). Shown only in this response: store it now.',
    example: 'whsec_…',
  })
  secret: string;
}

export class WebhookListDto {
  @ApiProperty({ type: [WebhookDto], description: 'Newest first' }) items: WebhookDto[];
}

export class WebhookDeliveryDto {
  @ApiProperty({ format: 'uuid', description: 'Sent as X-Behavior-Delivery on every attempt' }) id: string;
  @ApiProperty({ format: 'uuid' }) alertId: string;
  @ApiProperty({ enum: ['alert.opened', 'alert.acknowledged', 'alert.resolved'] }) event: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed'], description: 'failed: gave up after maxAttempts' })
  status: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'While pending' })
  nextAttemptAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastAttemptAt: string | null;
  @ApiProperty({ type: Number, nullable: true }) lastStatusCode: number | null;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deliveredAt: string | null;
}

export class WebhookDeliveryListDto {
  @ApiProperty({ type: [WebhookDeliveryDto], description: 'Newest first' }) items: WebhookDeliveryDto[];
}
