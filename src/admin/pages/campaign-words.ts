import type { CampaignState } from '../../store/campaign-store.ts';

/** The campaigns pages' words, in the admin's two languages. */
export interface CampaignWords {
  nav: string;
  title: string;
  none: string;
  id: string;
  name: string;
  state: string;
  scheduled: string;
  queued: string;
  skipped: string;
  states: Record<CampaignState, string>;
  add: string;
  create: string;
  text: (language: string) => string;
  textHint: string;
  wards: string;
  wardsHint: string;
  languages: string;
  languagesHint: string;
  preview: string;
  language: string;
  segments: string;
  contacts: string;
  bySms: string;
  cost: string;
  total: string;
  perSegment: (rupees: number) => string;
  cannot: string;
  schedule: string;
  at: string;
  atHint: string;
  cancel: string;
  done: Record<'created' | 'scheduled' | 'cancelled', string>;
  back: string;
}

export const CAMPAIGN_WORDS: Record<'mr' | 'en', CampaignWords> = {
  en: {
    nav: 'Campaigns',
    title: 'Awareness campaigns',
    none: 'No campaigns yet.',
    id: 'Id',
    name: 'Name',
    state: 'State',
    scheduled: 'Scheduled',
    queued: 'Queued',
    skipped: 'Skipped',
    states: { draft: 'draft', scheduled: 'scheduled', sending: 'sending', done: 'done', cancelled: 'cancelled' },
    add: 'New campaign',
    create: 'Save as draft',
    text: (language) => `Text in ${language}`,
    textHint: 'As registered with the DLT template: it is sent as written. Leave a language empty to leave its speakers out.',
    wards: 'Ward offices',
    wardsHint: 'Ward office ids, separated by commas; empty: the whole city. A contact’s ward is their latest complaint’s.',
    languages: 'Only these languages',
    languagesHint: 'None ticked: every language with a text.',
    preview: 'Preview',
    language: 'Language',
    segments: 'SMS segments',
    contacts: 'Contacts',
    bySms: 'By SMS',
    cost: 'Cost (₹)',
    total: 'Total',
    perSegment: (rupees) => `At ₹${rupees} an SMS segment. Only contacts who opted in (START) are counted; STOP opts out.`,
    cannot: 'Cannot be scheduled:',
    schedule: 'Schedule',
    at: 'Send at (IST)',
    atHint: 'Empty: now. Nothing is sent in quiet hours; it starts in the morning.',
    cancel: 'Cancel the campaign',
    done: { created: 'Saved as a draft.', scheduled: 'Scheduled.', cancelled: 'Cancelled: nothing more is sent.' },
    back: 'All campaigns',
  },
  mr: {
    nav: 'मोहिमा',
    title: 'जनजागृती मोहिमा',
    none: 'अजून एकही मोहीम नाही.',
    id: 'क्रमांक',
    name: 'नाव',
    state: 'स्थिती',
    scheduled: 'वेळ',
    queued: 'रांगेत',
    skipped: 'वगळले',
    states: { draft: 'मसुदा', scheduled: 'नियोजित', sending: 'पाठवणे सुरू', done: 'पूर्ण', cancelled: 'रद्द' },
    add: 'नवी मोहीम',
    create: 'मसुदा म्हणून जतन करा',
    text: (language) => `${language} मजकूर`,
    textHint: 'DLT साच्यात नोंदवलेला मजकूर जसाच्या तसा पाठवला जातो. एखादी भाषा रिकामी ठेवल्यास ती भाषा बोलणाऱ्यांना पाठवला जात नाही.',
    wards: 'क्षेत्रीय कार्यालये',
    wardsHint: 'क्षेत्रीय कार्यालयांचे id, स्वल्पविरामाने वेगळे; रिकामे: संपूर्ण शहर. नागरिकाचे कार्यालय म्हणजे त्याच्या शेवटच्या तक्रारीचे.',
    languages: 'फक्त या भाषा',
    languagesHint: 'एकही निवडली नाही: मजकूर असलेल्या सर्व भाषा.',
    preview: 'पूर्वावलोकन',
    language: 'भाषा',
    segments: 'SMS भाग',
    contacts: 'नागरिक',
    bySms: 'SMS ने',
    cost: 'खर्च (₹)',
    total: 'एकूण',
    perSegment: (rupees) => `प्रत्येक SMS भागाला ₹${rupees}. फक्त START पाठवलेले नागरिक मोजले आहेत; STOP पाठवल्यास संदेश बंद होतात.`,
    cannot: 'नियोजित करता येत नाही:',
    schedule: 'नियोजित करा',
    at: 'पाठवण्याची वेळ (IST)',
    atHint: 'रिकामे: आत्ता. रात्रीच्या शांत वेळेत काही पाठवले जात नाही; सकाळी सुरू होते.',
    cancel: 'मोहीम रद्द करा',
    done: { created: 'मसुदा जतन केला.', scheduled: 'नियोजित केली.', cancelled: 'रद्द केली: यापुढे काही पाठवले जाणार नाही.' },
    back: 'सर्व मोहिमा',
  },
};
