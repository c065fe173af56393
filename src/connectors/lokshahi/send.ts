// An application has no way back to its applicant but their mobile and email: the intake API's way.
export { NOTHING_SENT_HERE, sendElsewhere } from '../intake/send.ts';
