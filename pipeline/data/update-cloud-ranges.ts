/**
 * Regenerates cloud-ranges.json, the published IP ranges of clouds, hosting companies, crawlers,
 * uptime checkers and link-preview fetchers that the network bot check reads. The ranges come from
 * the lord-alfred/ipranges repository (CC0), which collects each provider's own published list
 * daily (AWS ip-ranges.json, Google Cloud's cloud.json, Azure service tags, Oracle's
 * public_ip_ranges.json, DigitalOcean's, Linode's and Vultr's geofeeds, the crawlers' lists) and
 * merges each into the fewest CIDRs. A build-time tool, never imported by the pipeline:
 *
 *   npx tsx pipeline/data/update-cloud-ranges.ts            # download the current lists
 *   npx tsx pipeline/data/update-cloud-ranges.ts <folder> <yyyy-mm-dd>   # from a checkout, its date
 *
 * Left out on purpose, because people browse from them: Apple iCloud Private Relay, Cloudflare
 * (WARP) and ProtonVPN; GitHub's list too, whose Actions runners are Azure's ranges already.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SOURCE = 'https://raw.githubusercontent.com/lord-alfred/ipranges/main';

/** Provider name in the snapshot → folder in the repository. */
const PROVIDERS: Readonly<Record<string, string>> = {
  aws: 'amazon',
  'google-cloud': 'google',
  azure: 'microsoft',
  'oracle-cloud': 'oracle',
  digitalocean: 'digitalocean',
  linode: 'linode',
  vultr: 'vultr',
  googlebot: 'googlebot',
  bingbot: 'bing',
  duckduckbot: 'duckduckbot',
  duckassistbot: 'duckassistbot',
  openai: 'openai',
  perplexity: 'perplexity',
  pingdom: 'pingdom',
  statuscake: 'statuscake',
  facebook: 'facebook',
  twitter: 'twitter',
  telegram: 'telegram',
};

const CIDR = /^[0-9a-f.:]+\/\d{1,3}$/i;

/**
 * Special-purpose blocks (RFC 6890: private, loopback, shared, link-local, documentation,
 * benchmarking, multicast, reserved) that no provider owns but some geofeeds list (Vultr's holds
 * 198.51.100.0/24 and 203.0.113.0/24): dropped, so test and private addresses never count.
 */
const SPECIAL_V4 = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/3',
].map(v4Range);
const SPECIAL_V6 = /^(::|2001:0?db8:|f[cd]|fe[89ab])/i;

function v4Range(cidr: string): [number, number] {
  const [address = '', bits = '32'] = cidr.split('/');
  const value = address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(bits));
  const start = value - (value % size);
  return [start, start + size - 1];
}

function isSpecial(cidr: string): boolean {
  if (cidr.includes(':')) return SPECIAL_V6.test(cidr);
  const [start, end] = v4Range(cidr);
  return SPECIAL_V4.some(([s, e]) => start <= e && s <= end);
}

async function list(from: string | undefined, folder: string, file: string): Promise<string[]> {
  let text: string;
  if (from !== undefined) {
    const path = join(from, folder, file);
    text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  } else {
    const response = await fetch(`${SOURCE}/${folder}/${file}`);
    if (response.status === 404) return [];
    if (!response.ok)
      throw new Error(`${SOURCE}/${folder}/${file}: expected 200, received ${response.status}`);
    text = await response.text();
  }
  const cidrs = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  for (const cidr of cidrs)
    if (!CIDR.test(cidr)) throw new Error(`${folder}/${file}: expected CIDRs, received ${cidr}`);
  return cidrs.filter((cidr) => !isSpecial(cidr));
}

async function main(): Promise<void> {
  const from = process.argv[2];
  const providers: Record<string, { v4: string[]; v6: string[] }> = {};
  for (const [name, folder] of Object.entries(PROVIDERS)) {
    providers[name] = {
      v4: await list(from, folder, 'ipv4_merged.txt'),
      v6: await list(from, folder, 'ipv6_merged.txt'),
    };
  }
  const out = join(__dirname, 'cloud-ranges.json');
  const snapshot = {
    source: 'lord-alfred/ipranges',
    license: 'CC0-1.0',
    generated: process.argv[3] ?? new Date().toISOString().slice(0, 10),
    providers,
  };
  writeFileSync(out, `${JSON.stringify(snapshot)}\n`);
  // The repository's format check covers JSON too.
  execFileSync('npx', ['prettier', '--write', out]);
  const counts = Object.entries(providers).map(([n, p]) => `${n} ${p.v4.length}+${p.v6.length}`);
  console.log(`cloud-ranges.json: ${counts.join(', ')}`);
}

void main();
