import { numericForm } from './digits.ts';

export interface Coordinates {
  lat: number;
  lon: number;
}

const LAT = String.raw`(?<lat>[-+]?\d{1,2}\.\d{1,15})`;
const LON = String.raw`(?<lon>[-+]?\d{1,3}\.\d{1,15})`;
// "18.52,73.85", "18.52, 73.85", "18.52,+73.85", "18.52%2C73.85" (URL-encoded)
const COMMA = String.raw`(?:,|%2C)(?:\+|%20|\s){0,3}`;

// In order of preference: what a maps link marks as the place beats its viewport, links beat plain numbers.
const LINK_FORMS: RegExp[] = [
  // Google Maps place data: …/data=!3m1!4b1!4m5!3m4!1s0x0:0x0!8m2!3d18.5204!4d73.8567 — the pin itself
  new RegExp(String.raw`!3d${LAT}!4d${LON}`, 'i'),
  // ?q=18.52,73.85 (maps.google.com), ?query= / ?destination= (Maps URLs API), ?ll= (Apple Maps), ?daddr=
  new RegExp(String.raw`[?&](?:q|query|ll|sll|center|daddr|saddr|destination)=(?:loc:)?${LAT}${COMMA}${LON}`, 'i'),
  // google.com/maps/search/18.52,+73.85 and …/maps/place/18.52,73.85
  new RegExp(String.raw`/maps/(?:search|place|dir)/${LAT}${COMMA}${LON}`, 'i'),
  // google.com/maps/@18.52,73.85,17z — the centre of the view the citizen shared
  new RegExp(String.raw`/@${LAT},${LON}(?![\d.])`, 'i'),
  // OpenStreetMap: ?mlat=18.52&mlon=73.85 (a marker), #map=17/18.52/73.85 (the view)
  new RegExp(String.raw`mlat=${LAT}&(?:amp;)?mlon=${LON}`, 'i'),
  new RegExp(String.raw`#map=\d{1,2}/${LAT}/${LON}`, 'i'),
];

// geo:18.5204,73.8567 (RFC 5870, with ;u=… or ,altitude after it); Android shares geo:0,0?q=18.52,73.85(label)
const GEO_URI = new RegExp(
  String.raw`geo:(?<lat>[-+]?\d{1,2}(?:\.\d{1,15})?),(?<lon>[-+]?\d{1,3}(?:\.\d{1,15})?)(?:[^\s?]*\?q=(?<qlat>[-+]?\d{1,2}\.\d{1,15})${COMMA}(?<qlon>[-+]?\d{1,3}\.\d{1,15}))?`,
  'i',
);

// Plain numbers need a decimal point and at least three decimals each (about 100 m), so "12.50, 40.25" in a bill
// or "5.30" o'clock is not a place: "18.5204, 73.8567", "18.5204 N 73.8567 E", "lat: 18.5204 long: 73.8567", "18.5204°N, 73.8567°E".
const PLAIN_PAIR = new RegExp(
  String.raw`(?<![\d.])(?:lat(?:itude)?\s*[:=]?\s*)?(?<lat>-?\d{1,2}\.\d{3,15})\s*°?\s*(?<ns>[NS](?![a-z]))?\s*[,;/]?\s*` +
    String.raw`(?:lo?ng?(?:itude)?\s*[:=]?\s*)?(?<lon>-?\d{1,3}\.\d{3,15})\s*°?\s*(?<ew>[EW](?![a-z]))?(?![\d.]*\d)`,
  'i',
);

const MAYBE_COORDINATES = /\d\.\d/;
const MAYBE_MAP_LINK = /maps|!3d|mlat=|#map=|[?&](?:q|query|ll|sll|center|daddr|saddr|destination)=/i;

function valid(lat: number, lon: number): Coordinates | undefined {
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) return undefined;
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return undefined;
  // 0,0 is the "no fix" of many apps, not a place in Pune or anywhere a citizen stands
  if (lat === 0 && lon === 0) return undefined;
  return { lat, lon };
}

function fromGroups(groups: Record<string, string | undefined> | undefined): Coordinates | undefined {
  if (!groups?.lat || !groups.lon) return undefined;
  return valid(Number(groups.lat), Number(groups.lon));
}

/**
 * A shared position in the text: a Google Maps link (…?q=18.52,73.85, …/@18.52,73.85,17z, …!3d18.52!4d73.85),
 * another maps link (Apple ll=, OpenStreetMap), a geo: URI, or a plain "18.5204, 73.8567" pair. Maps links are
 * preferred; out-of-range values and 0,0 are ignored. Place names are another step's work.
 */
export function extractCoordinates(text: string): Coordinates | undefined {
  const numeric = numericForm(text);
  if (!MAYBE_COORDINATES.test(numeric)) return undefined;
  if (MAYBE_MAP_LINK.test(numeric)) {
    for (const form of LINK_FORMS) {
      const found = fromGroups(form.exec(numeric)?.groups);
      if (found) return found;
    }
  }
  const geo = GEO_URI.exec(numeric)?.groups;
  if (geo) {
    const found = geo.qlat && geo.qlon ? valid(Number(geo.qlat), Number(geo.qlon)) : undefined;
    const pinned = found ?? fromGroups(geo);
    if (pinned) return pinned;
  }
  const plain = PLAIN_PAIR.exec(numeric)?.groups;
  if (!plain?.lat || !plain.lon) return undefined;
  const lat = Math.abs(Number(plain.lat)) * (plain.ns?.toUpperCase() === 'S' || plain.lat.startsWith('-') ? -1 : 1);
  const lon = Math.abs(Number(plain.lon)) * (plain.ew?.toUpperCase() === 'W' || plain.lon.startsWith('-') ? -1 : 1);
  return valid(lat, lon);
}
