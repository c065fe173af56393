/**
 * Marker words and word endings that tell Marathi, Hindi and English apart, with weights.
 *
 * Written from the grammar of the three languages (auxiliaries, pronouns, postpositions, verb endings), not mined
 * from any corpus: they have to hold for text we have never seen. A positive weight is evidence for that language;
 * words the languages share (Hindi and Marathi both say "नाव", "पाणी", "kal", "kam") are left out on purpose.
 */

type Weights = Readonly<Record<string, number>>;

function weigh(weight: number, words: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const w of words.split(/\s+/u)) if (w) out[w] = weight;
  return out;
}

/** Devanagari words found in Marathi and not (or hardly) in Hindi. */
export const DEVA_MARATHI: Weights = {
  // the copula and its negative: the strongest single signal
  ...weigh(3, 'आहे आहेत आहेस आहोत आहात नाही नाहीत नाहीये नव्हते नव्हता नव्हती'),
  // conjunctions, postpositions and particles
  ...weigh(2, 'आणि मध्ये मधे मधील मधून साठी पर्यंत पासून कडे कडून बद्दल म्हणून म्हणजे पण तर तरी मात्र सुद्धा देखील'),
  // "near", "in front of": Hindi says पास, सामने
  ...weigh(2, 'जवळ समोर'),
  // pronouns and possessives
  ...weigh(2,
    'मी आम्ही आम्हाला आमच्या आमचा आमची आमचे माझा माझी माझे माझ्या मला तुला तुम्ही तुम्हाला तुमच्या तुमचा ' +
    'तुमची तुमचे त्यांच्या त्यांचा त्यांची त्यांचे त्यांना त्यांनी त्याचा त्याची त्याचे त्याच्या त्याला तिला तिच्या ' +
    'आपल्या आपला आपली आपले आपण यांनी यांच्या यांचा यांची यांचे यांना कोणी कोणाला काय कसे कशी कसा कुठे इथे तिथे ' +
    'येथे तेथे येथील तेथील आता अजून अजूनही उद्या परवा खूप सगळे सगळ्या सर्वांना काही काहीच नेहमी लवकर हे ह्या ती'),
  // verb forms: past in -ले/-ला/-ली, future in -णार/-ईल, gerund in -ऊन, imperative -ा, modal पाहिजे
  ...weigh(2,
    'झाले झाला झाली झालेल्या झालेले झालेला झालेली झाल्या झाल्याने झाल्यामुळे केले केला केली केल्या केलेल्या केलेले ' +
    'करून घेऊन देऊन होऊन जाऊन येऊन करणार होणार येणार जाणार देणार घेणार करावे करावा करावी करावेत द्यावे द्यावी ' +
    'घ्यावे पाहिजे पाहिजेत लागेल लागले लागला लागली शकतो शकते शकतात शकेल शकत असे असा अशी असून असल्याने असलेल्या ' +
    'असलेले असते असतो असतात असेल आले आला आली आलेल्या गेले गेला गेली गेल्या दिले दिला दिलेल्या घेतले घेतला घेतली ' +
    'म्हणाले म्हणाला म्हणतात सांगितले सांगितला करा द्या घ्या नका नको नये हवे होईल होतील जातो जाते येतो येते करतो ' +
    'करतात होतो होतात बघा बघ बघू बघितले बघितला बसला बसले मिळाले मिळाला मिळाली मिळत मिळेल ठेवले राहिले राहतात'),
  // everyday and civic words Hindi says differently (पानी, रास्ता, गड्ढा, शिकायत, कुत्ते, हाँ)
  ...weigh(2, 'पाणी पाण्याचा पाण्याची पाण्याचे पाण्यात पाण्याला रस्ता रस्ते रस्त्याचे रस्त्याची रस्त्यावर खड्डा खड्डे तक्रार तक्रारी कुत्रे कुत्र्यांचा होय बरोबर बरं लवकर'),
  ...weigh(1, 'व रोजी काल वर ला च्या चा ची चे साहेब झाड गटार भटके दिवे'),
  // "or", and the emphatic -च glued to a pronoun or adverb (हेच, आताच): Hindi says या and ही apart
  ...weigh(2, 'किंवा हेच तेच तोच हाच हीच तीच आजच आताच लगेच'),
};

/** Devanagari words found in Hindi and not (or hardly) in Marathi. */
export const DEVA_HINDI: Weights = {
  ...weigh(3, 'है हैं हूँ हूं था थी थे नहीं नही'),
  ...weigh(2,
    'और में मैं के से को ने पर यह वह ये वो इस उस इन उन कि जो जब तब क्या क्यों कैसे कहाँ कहां यहाँ यहां ' +
    'वहाँ वहां अब भी लिए लिये साथ बाद बहुत कुछ कोई सब रहा रही रहे गया गई गए गयी दिया किया लिया हुआ हुई हुए होगा ' +
    'होगी होंगे करें करेंगे करेगा करेगी सकता सकती सकते चाहिए वाला वाली वाले अपने अपना अपनी हम हमारे हमारा हमारी ' +
    'मेरा मेरी मेरे मुझे तुम तुम्हारा आप उनके उनकी उनका उसके उसकी उसका इसके इसकी इसका जिसके जिसकी लेकिन मगर ' +
    'क्योंकि अगर एवं तथा द्वारा बारे करने करना होने होना जाने जाना देने लेने लोगों लोग नया नई नए पहले बड़ा बड़ी ' +
    'बड़े गांव पानी सड़क शिकायत कूड़ा रहें दी ली'),
  ...weigh(1, 'ने इन जो मामला हमला फैसला पहला अकेला बदला सिलसिला चला मिला निकला नीचे बच्चे पहुंचे पहुंचा उसने किसने इसने जिसने मैंने उन्होंने सामने'),
  ...weigh(0.5, 'की'),
  ...weigh(2, 'हां कुत्ते बिजली खंभा नाली गंदगी'),
  // manner, measure and limit words Marathi says as जसे, असे, कसा, किती, इतका, आता, पर्यंत, कोणी
  ...weigh(2, 'जैसे जैसा जैसी ऐसे ऐसा ऐसी वैसे वैसा वैसी कैसा कैसी कितना कितने कितनी इतना इतने इतनी जितना किसी यही तक चाहे अभी'),
  // genitive pronouns in -का/-के/-की (Marathi: तुमचा, यांचा, कोणाचा, सगळ्यांचा) and imperatives in -ो (Marathi -ा)
  ...weigh(2, 'आपका आपके आपकी इनका इनके इनकी किसका किसके किसकी सबका सबके सबकी तेरा तेरी तेरे करो बोलो देखो सुनो रहो जाओ आओ'),
  ...weigh(1.5, 'दो लो अच्छा अच्छे अच्छी'),
  ...weigh(1, 'यार अबे वही'),
  ...weigh(1, 'साहब'),
};

/**
 * Nepali and Sanskrit in Devanagari: neither is ours, and a text that is plainly one of them is `und` rather than
 * a wrong Marathi or Hindi (the reply would be in a language the writer did not use).
 */
export const DEVA_NEITHER: Weights = {
  // Nepali: copula छ/छन्, हुन्छ, past participles -एको, पनि (also), गर्न (to do), लागि (for), र (and)
  ...weigh(3, 'छ छन् छौं छु छैन छैनन् हुन्छ हुन्छन् भएको भएका गरेको गरेका पनि गर्न गर्ने हुने थियो थिए लागि सक्छ सक्नेछ गर्नेछ रहेको रहेका'),
  ...weigh(2, 'र'),
  // Sanskrit: copula अस्ति/सन्ति, भवति, particles इति, एव, अपि, च
  ...weigh(3, 'अस्ति सन्ति अस्मि अहम् अहं भवति भवन्तु भवेत् इति एव अपि सर्वे सर्वेषां'),
  ...weigh(1, 'च'),
};

/** Romanised Marathi words (and their common spellings) that Hindi and English do not use. */
export const LATN_MARATHI: Weights = {
  ...weigh(3, 'ahe aahe ahes aahes ahet aahet ahot aahot aahey ahey nahiye nahiy nahit navhta navhte navhti'),
  ...weigh(2,
    'ani aani mhanje mhanun mhane mhanto mhanta mhantat mhanala mhanle mala tula tyala tila tyanna tyana amhala ' +
    'aamhala tumhala amhi aamhi tumhi apan aapan majha maza majhi mazi majhe maze majhya mazya tujha tuza tujhi ' +
    'tuzi tujhe tuze tujhya tuzya amcha amchi amche amchya aamcha aamchi aamche aamchya tumcha tumchi tumche ' +
    'tumchya tyacha tyachi tyache tyachya tyancha tyanchi tyanche tyanchya kay kai kasa kashi kase kasla kasli ' +
    'kuthe kuthay kuthun ithe tithe ikde tikde ata aata atta udya khup khoop sagla sagle sagli saglya kahi kahich ' +
    'kahitari kontya konta konti zala zhala jhala zali zhali jhali zale zhale jhale zalay zhalay jhalay zalya ' +
    'zhalya kela keli kele kelay kelya kelas kartoy kartay kartat karat kara karu karaych karaycha karayla karun ' +
    'gheun deun yeun jaun houn hoil hoto hotya asa ase ashi asel astat asto aste astana aslyane asla asli asle ' +
    'pahije pahijel pahijet lagel lagto lagte lagla lagli lagle bagh baghu baghto baghitla baghitli sang sanga ' +
    'sangitla sangto bolto boltoy boltay bolla bolle gela geli gele gelo ala aala ali aali ale aale alo aalo yeto ' +
    'yete yetat jato jate jatat jatoy madhe madhye madhey mdhe madhla madhli varti pasun paryant sathi saathi ' +
    'baddal kade kadun barobar javal jawal samor magchya pudhe tari mag pan nako naka hoy bara aapla apla apli ' +
    'aapli aaplya aplya aaple aple tyanni tyani yanni yancha yanchi tasa tase tashi jasa jase evdha evadha jast ' +
    'jasta changla changli changle vait gharat shalet loka divas ajun ajoon kadhi kevha tevha jevha mhanaje aamchi ' +
    'karaycha karto dyaa dya ghya kara hotay hotey asnar karnar honar yenar jaanar janar denar ghenar'),
  ...weigh(2,
    'kiti lavkar lagech kadhich nantar aadhi adhi ithech tithech tumhich amhich punyat bhetla bhetli bhetle ' +
    'bhetnar sangha sangna vicharla vicharli ghetla ghetli ghetle dyaycha karaychi manun tumala amala jhalis ' +
    'zalis zopun zop ghe firu vha hoiel yaave yave mitra kharach khara khare barya nasatat nasto naste nasel ' +
    'aalas gelas zalas ahat aahat hotas dupari sandhyakali ratri raatri divsa varshi varshe peksha pudhcha ' +
    'pudhchya magcha agadi mhatari mhatara aai ghari gharchya nahiye nay cha chi che chya'),
  ...weigh(1, 're ga rao bhau tai dada mla tr la sakal'),
};

/** Romanised Hindi words and spellings that Marathi and English do not use. */
export const LATN_HINDI: Weights = {
  ...weigh(3, 'hai hain hu hoon hun tha thi nahin mujhe mein'),
  ...weigh(2,
    'kya ko se aur bhi toh yeh woh wo kuch koi sab bahut bohot bahot accha acha achha kaise kaisa kaisi kyun ' +
    'kyu kyon kab kaha kahan yaha yahan wahan abhi karo karna karne karni kiya kiye diya liya hua hui hue hoga ' +
    'hogi honge raha rahi rahe gaya gayi gaye chahiye wala wali wale waala waale sakta sakti sakte lekin magar ' +
    'phir fir jab agar kyunki kyuki humein hume unka unki unke inka inki inke uska uski uske iska iski iske jo ' +
    'jaise saath sath liye baat logon bilkul zyada jyada sirf sabse tum hum ham aap tujhe unhe inhe ' +
    'dekho mera meri mere tera teri tere tumhara hamara hamare hamari apna apne apni karenge karega ' +
    'jayega jaega rahta rahte rehta'),
  ...weigh(2, 'haan aati aaya aayi aaye aayega aayegi ayega'),
  ...weigh(1, 'pata tab log logo ke par ji yaar yar ye bhaiya ladki ladka sach lag bolo'),
};

/** English function words: a sentence of English almost always has a few. */
export const LATN_ENGLISH: Weights = weigh(1,
  'the a an is are was were be been being am i you he she it we they me my your our their his her its this that ' +
  'these those of in on at to for from with by about and or but not no yes please have has had do does did will ' +
  'would can could should shall may might must there here what when where why how who which all any some very so ' +
  'just get got than then them if because also only now today since still again after before into out up down ' +
  'over under off more most such own same other been being thank thanks sorry hello dear sir madam us him');

/** A word ending that marks Marathi or Hindi in Devanagari; weights are per word. */
interface Ending {
  suffix: string;
  weight: number;
  minLength: number;
}

function endings(weight: number, minLength: number, list: string): Ending[] {
  return list.split(/\s+/u).filter(Boolean).map((suffix) => ({ suffix, weight, minLength }));
}

/** Marathi case endings glued to the noun (घरासमोर, रस्त्यावर, पुण्यात) and its verb endings. */
export const DEVA_MARATHI_ENDINGS: readonly Ending[] = [
  ...endings(2, 4, 'च्या ांना ांनी ांची ांचा ांचे मध्ये मधील साठी पर्यंत पासून कडे वरील ल्याने ल्यामुळे णार ायचे ायला ायची तोय तेय'),
  ...endings(2, 4, 'लाय लेय लंय लीय तील पेक्षा वरून नंतर मुळे सोबत णारी णारा णारे णाऱ्या ायचं'),
  // a place and its postposition as one word: चौकाजवळ, तुळशीबागेजवळ, शाळेसमोर
  ...endings(2, 6, 'जवळ समोर'),
  ...endings(1.5, 4, 'ाचा ाची ाचे ल्या तात णे चं लं ोच'),
  ...endings(1, 4, 'ावी ाच'),
  ...endings(0.75, 4, 'वर ावे'),
  ...endings(1, 4, 'ाला ीला ेला ूला ून'),
  ...endings(0.75, 4, 'ात'),
];

/** Hindi endings: oblique plural -ों, future -ेगा, plural -ें, infinitive -ने/-ना after a verb stem. */
export const DEVA_HINDI_ENDINGS: readonly Ending[] = [
  ...endings(2, 3, 'ों ियों ेगा ेगी ेंगे ाएं ाएँ ियां ियाँ'),
  ...endings(1, 3, 'ें'),
];

/** Romanised Marathi endings: genitive -chya/-cha, locative -madhe/-var, and -sathi glued to the noun. */
export const LATN_MARATHI_ENDINGS: readonly Ending[] = [
  ...endings(2, 6, 'chya yacha yachi yache madhe madhye sathi pasun kadun varti'),
  ...endings(2, 6, 'aycha aychi ayche aychya aychis ayla'),
  ...endings(1.5, 5, 'nar nari nare toy tey tla tli'),
  ...endings(1, 5, 'tat rla rli lis yat'),
  ...endings(1, 6, 'ncha nchi nche yavar'),
];

/** English words that end like Marathi and must not count as such. */
export const LATN_NOT_MARATHI: ReadonlySet<string> = new Set(
  'seminar webinar habitat thermostat begun rerun outrun atlas attach detach sandwich stomach spinach ostrich'.split(' '),
);

/** Romanised Hindi endings: polite imperatives -iye, future -enge/-ega. */
export const LATN_HINDI_ENDINGS: readonly Ending[] = [...endings(2, 6, 'iye renge yenge denge ega egi unga ungi')];

export type { Ending, Weights };
