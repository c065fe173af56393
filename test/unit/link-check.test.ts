import { describe, expect, it } from 'vitest';
import { CHANNEL_MEDIA_HOSTS, ownHostLink, publicLink } from '../../src/attachments/link-check.ts';

const kept = (url: string) => publicLink({ kind: 'image', url }).url === url;

describe('which attachment links staff are offered', () => {
  it("a partner's public https link is kept", () => {
    for (const url of ['https://photos.example.org/pothole.jpg', 'https://8.8.8.8/a.jpg', 'https://[2405:201:1000::1]/p.png', 'https://पुणे.भारत/फोटो.jpg']) expect(kept(url), url).toBe(true);
  });

  it('anything that points inside, or is not plain https, is kept as not kept with why', () => {
    const inside = [
      'https://127.0.0.1/x', 'https://127.1/x', 'https://2130706433/x', 'https://0x7f.1/x', 'https://017700000001/x',
      'https://169.254.169.254/latest/meta-data/', 'https://169.254.169.254./x', 'https://10.1.2.3/', 'https://192.168.1.1/', 'https://100.64.0.1/',
      'https://[::1]/', 'https://[::ffff:127.0.0.1]/', 'https://[::ffff:7f00:1]/', 'https://[::127.0.0.1]/', 'https://[::ffff:0:7f00:1]/',
      'https://[fe80::1]/', 'https://[fc00::1]/', 'https://[2002:7f00:1::]/', 'https://[2001:db8::1]/', 'https://[2001:0:4136:e378::1]/',
      'https://localhost/', 'https://localhost../', 'https://foo.localhost./', 'https://intranet/', 'https://intranet../', 'https://gis.pmc.internal/',
      'https://printer.local/', 'https://wiki.intranet/', 'http://photos.example.org/p.jpg', 'https://user:pw@photos.example.org/', 'ftp://photos.example.org/',
      'javascript:alert(1)', 'not a url',
    ];
    for (const url of inside) {
      const a = publicLink({ kind: 'image', url });
      expect(a, url).toEqual({ kind: 'image', refused: 'its link was not to a public https address' });
    }
  });

  it("a channel's link only on its own servers: a look-alike or a forwarder is not", () => {
    const fb = (url: string) => ownHostLink({ kind: 'image', url }, CHANNEL_MEDIA_HOSTS.facebook).url;
    expect(fb('https://scontent.xx.fbcdn.net/v/t1.jpg')).toBe('https://scontent.xx.fbcdn.net/v/t1.jpg');
    expect(fb('https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1')).toBe('https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1');
    for (const url of ['https://evilfbcdn.net/a', 'https://fbcdn.net.attacker.example/a', 'https://l.facebook.com/l.php?u=https%3A%2F%2F10.0.0.1', 'http://scontent.xx.fbcdn.net/a', 'https://157.240.1.1/a'])
      expect(fb(url), url).toBeUndefined();
    const sms = ownHostLink({ kind: 'image', url: 'https://127.0.0.1:8443/Media/ME1' }, CHANNEL_MEDIA_HOSTS.sms);
    expect(sms).toEqual({ kind: 'image', refused: "its link was not on the channel's own servers" });
  });
});
