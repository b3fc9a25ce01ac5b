// The only way the app imports uPlot: the language repair must run before uPlot's module does.
import './navigator-language';

export { default } from 'uplot';
