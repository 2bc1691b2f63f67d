/**
 * Lighthouse (mobile, its default: a Moto G Power-sized screen with simulated slow 4G and a 4x
 * slower CPU) against a page, in Debian's Chromium started by Lighthouse's own chrome-launcher.
 * Used by the browser suite (accessibility and best practices) and `npm run bench -- client`
 * (performance, whose score depends on the machine and so is a benchmark figure, not a test).
 */
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { CHROMIUM } from './browser.js';

export interface LighthouseScores {
  performance: number;
  accessibility: number;
  bestPractices: number;
  seo: number;
  /** Cumulative layout shift, largest contentful paint (ms), total blocking time (ms). */
  cls: number;
  lcp: number;
  tbt: number;
  /** Audits of the accessibility and best-practices categories that did not pass (id: title). */
  failing: string[];
}

export async function runLighthouse(url: string): Promise<LighthouseScores> {
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM,
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
    logLevel: 'silent',
  });
  try {
    const result = await lighthouse(url, {
      port: chrome.port, output: 'json', logLevel: 'error',
      onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
    });
    if (!result) throw new Error('Lighthouse returned no result');
    const { lhr } = result;
    const score = (id: string) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
    const numeric = (id: string) => lhr.audits[id]?.numericValue ?? NaN;
    const failing = ['accessibility', 'best-practices'].flatMap((category) => (lhr.categories[category]?.auditRefs ?? [])
      .map((ref) => lhr.audits[ref.id]!)
      .filter((audit) => audit.score !== null && audit.score < 1 && audit.scoreDisplayMode !== 'informative' && audit.scoreDisplayMode !== 'notApplicable')
      .map((audit) => `${audit.id}: ${audit.title}`));
    return {
      performance: score('performance'), accessibility: score('accessibility'), bestPractices: score('best-practices'), seo: score('seo'),
      cls: numeric('cumulative-layout-shift'), lcp: numeric('largest-contentful-paint'), tbt: numeric('total-blocking-time'), failing,
    };
  } finally {
    chrome.kill();
  }
}
