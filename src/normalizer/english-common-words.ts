/**
 * Common English words that are not function words: greetings, everyday verbs, adjectives and the vocabulary of a
 * civic complaint. They decide only a Latin-letter message with no function word in it ("Pathetic service!!",
 * "Garbage overflowing", "Congratulations"); Marathi or Hindi markers always outweigh them, because code-mixed
 * Marathi borrows exactly these words.
 */
export const EN_COMMON: ReadonlySet<string> = new Set(
  (
    // greetings, courtesy and reactions
    'hi hey hello ok okay thanks thank welcome congratulations congrats merry christmas happy birthday good morning ' +
    'evening night great nice awesome amazing wow cool sure really totally absolutely pathetic terrible horrible ' +
    'worst best bad poor useless ridiculous disappointed disgusting shame shameful fine lol omg wtf please pls plz ' +
    'sorry excuse yes yeah yep nope never always everyone everything nothing something someone anyone ' +
    // everyday verbs
    'go going gone went come coming came make made take taking took give given gave see seen saw look looking ' +
    'know knew think thought want wanted need needed needs help helped tell told ask asked asking say said says ' +
    'call called calling try tried trying work working worked keep kept let lets start started stop stopped wait ' +
    'waiting waited check checked checking fix fixed fixing send sent receive received reply replied respond ' +
    'responded response contact contacted report reported reporting complain complained complaining pay paid ' +
    'buy bought order ordered cancel cancelled canceled refund refunded deliver delivered delivery update updated ' +
    'open opened close closed closing broken broke break damaged leaking leak blocked block overflowing overflow ' +
    'stinking smell smells dirty clean cleaned cleaning collect collected collecting dumped dumping burning ' +
    'falling fallen flooded flooding stuck missing lost found eat ate drink love like liked hate miss enjoy ' +
    // civic nouns
    'road roads street streets lane water supply pipe pipeline drainage drain drains sewage sewer gutter garbage ' +
    'trash waste rubbish dustbin bin light lights streetlight streetlights lamp pole electricity power pothole ' +
    'potholes tree trees branch park garden footpath sidewalk traffic signal parking vehicle vehicles bus buses ' +
    'station hospital school toilet toilets building construction illegal encroachment hawkers noise pollution ' +
    'mosquito mosquitoes dengue dog dogs stray animal animals cattle complaint complaints issue issues problem ' +
    'problems service services customer support team office officer officers department corporation municipal ' +
    'city area society colony ward house home flat apartment near opposite behind area days day week weeks month ' +
    'months year years hours hour minutes time morning afternoon since yesterday tomorrow today tonight ' +
    // general nouns and adjectives
    'people person man woman child children family friend friends guy guys girl boy money price bill account ' +
    'phone number email website app internet network connection package product food store shop company ' +
    'life world news new old big small long short high low full empty hot cold late early last next first ' +
    'second same different important urgent serious real simple smart free still again soon already ' +
    'true false wrong right left safe dangerous unsafe broken working sick ill dead'
  ).split(/\s+/u),
);
