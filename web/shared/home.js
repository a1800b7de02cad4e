import { loadTexts } from './i18n.js';

loadTexts();
