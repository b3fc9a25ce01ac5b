// Worker-thread entry of the batch pool (batch-pool.ts): only wiring.
import { prepareBatch } from './prepare-batch';

export default prepareBatch;
