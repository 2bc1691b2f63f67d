import { SESv2Client } from '@aws-sdk/client-sesv2';
import { InMemoryReportMailer } from '../../src/adapters/memory/memory-report-mailer.js';
import { SesReportMailer } from '../../src/adapters/ses/ses-report-mailer.js';
import { startSesLocal } from '../../src/entrypoints/local/ses-local.js';
import { reportMailerContract } from './report-mailer.contract.js';

reportMailerContract('in memory', async () => {
  const mailer = new InMemoryReportMailer();
  return { mailer, delivered: async () => mailer.sent, cleanup: async () => {} };
});

reportMailerContract('SES v2 (aws-ses-v2-local)', async () => {
  const ses = await startSesLocal();
  const client = new SESv2Client({ endpoint: ses.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  return {
    mailer: new SesReportMailer(client, { from: 'reports@example.com', configurationSet: null }),
    // The one-click link as a mail client reads it: from the List-Unsubscribe header.
    delivered: async () => (await ses.emails()).map((e) => ({
      to: e.destination.to[0]!, subject: e.subject, text: e.body.text!, html: e.body.html!,
      unsubscribeUrl: /^<(.*)>$/.exec(e.headers!.find((h) => h.name === 'List-Unsubscribe')!.value)![1]!,
    })),
    cleanup: async () => {
      client.destroy();
      await ses.clear();
      await ses.stop();
    },
  };
});
