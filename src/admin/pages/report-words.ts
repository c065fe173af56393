/** What the feedback report page says, in Marathi and English (its own file: the shared words stay as they are). */
export interface ReportWords {
  nav: string;
  title: string;
  from: string;
  to: string;
  periodHint: string;
  period: (from: string, to: string) => string;
  badDay: string;
  order: string;
  overall: string;
  asked: string;
  answered: string;
  responseRate: string;
  rated: string;
  average: string;
  followUps: string;
  byDepartment: string;
  byWard: string;
  name: string;
  distribution: string;
  averageChart: string;
  averageChartDesc: string;
  overallAverage: (avg: string) => string;
  belowAverage: string;
  ratings: (n: number) => string;
  noRatings: string;
  download: string;
}

const EN: ReportWords = {
  nav: 'Feedback',
  title: 'Citizens’ feedback',
  from: 'From',
  to: 'To',
  periodHint: 'Days in India time; both days are included.',
  period: (from, to) => `${from} to ${to}`,
  badDay: 'Give a date as YYYY-MM-DD.',
  order: '“From” must not be after “To”.',
  overall: 'All of PMC',
  asked: 'Asked to rate',
  answered: 'Answered',
  responseRate: 'Response rate',
  rated: 'Ratings given',
  average: 'Average (out of 5)',
  followUps: 'Flagged for follow-up',
  byDepartment: 'By department',
  byWard: 'By ward office',
  name: 'Name',
  distribution: 'Ratings from 1 to 5',
  averageChart: 'Average rating by department',
  averageChartDesc: 'Bars: each department’s average out of 5; the dashed line: the overall average.',
  overallAverage: (avg) => `overall ${avg}`,
  belowAverage: 'Orange: below the overall average.',
  ratings: (n) => (n === 1 ? '1 rating' : `${n} ratings`),
  noRatings: 'No ratings were given in this period.',
  download: 'Download CSV',
};

const MR: ReportWords = {
  nav: 'अभिप्राय',
  title: 'नागरिकांचा अभिप्राय',
  from: 'पासून',
  to: 'पर्यंत',
  periodHint: 'भारतीय वेळेनुसार दिवस; दोन्ही दिवस धरून.',
  period: (from, to) => `${from} ते ${to}`,
  badDay: 'दिनांक YYYY-MM-DD असा द्या.',
  order: '“पासून” दिनांक “पर्यंत” दिनांकानंतरचा असू नये.',
  overall: 'संपूर्ण महानगरपालिका',
  asked: 'गुण देण्याची विनंती',
  answered: 'उत्तर मिळाले',
  responseRate: 'प्रतिसाद दर',
  rated: 'मिळालेले गुण',
  average: 'सरासरी (५ पैकी)',
  followUps: 'पाठपुराव्यासाठी चिन्हांकित',
  byDepartment: 'विभागनिहाय',
  byWard: 'क्षेत्रीय कार्यालयनिहाय',
  name: 'नाव',
  distribution: '१ ते ५ गुणांचे वाटप',
  averageChart: 'विभागनिहाय सरासरी गुण',
  averageChartDesc: 'पट्ट्या: प्रत्येक विभागाची ५ पैकी सरासरी; तुटक रेषा: एकूण सरासरी.',
  overallAverage: (avg) => `एकूण ${avg}`,
  belowAverage: 'नारिंगी: एकूण सरासरीपेक्षा कमी.',
  ratings: (n) => (n === 1 ? '1 गुणांकन' : `${n} गुणांकने`),
  noRatings: 'या कालावधीत एकही गुणांकन मिळाले नाही.',
  download: 'CSV डाउनलोड करा',
};

export const REPORT_WORDS: Readonly<Record<'mr' | 'en', ReportWords>> = { mr: MR, en: EN };
