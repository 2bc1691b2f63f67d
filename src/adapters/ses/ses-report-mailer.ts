import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { inject, injectable } from 'inversify';
import type { ReportMailer, ReportMessage } from '../../application/ports.js';

export const SES_TOKENS = {
  Client: Symbol.for('SESv2Client'),
  /** The verified sending identity's address, and the configuration set (null locally: the emulator has none). */
  Sender: Symbol.for('ReportSender'),
};

export interface ReportSender {
  from: string;
  configurationSet: string | null;
}

/**
 * Monthly reports through SES v2, as a simple message with both parts and the one-click
 * unsubscribe headers of RFC 8058 (Gmail and Yahoo require them of bulk senders): the mail client
 * POSTs `List-Unsubscribe=One-Click` to the link, which turns the report off.
 */
@injectable()
export class SesReportMailer implements ReportMailer {
  constructor(
    @inject(SES_TOKENS.Client) private readonly client: SESv2Client,
    @inject(SES_TOKENS.Sender) private readonly sender: ReportSender,
  ) {}

  async send(message: ReportMessage): Promise<void> {
    await this.client.send(new SendEmailCommand({
      FromEmailAddress: this.sender.from,
      Destination: { ToAddresses: [message.to] },
      ...(this.sender.configurationSet ? { ConfigurationSetName: this.sender.configurationSet } : {}),
      Content: {
        Simple: {
          Subject: { Data: message.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: message.text, Charset: 'UTF-8' }, Html: { Data: message.html, Charset: 'UTF-8' } },
          Headers: [
            { Name: 'List-Unsubscribe', Value: `<${message.unsubscribeUrl}>` },
            { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
          ],
        },
      },
    }));
  }
}
