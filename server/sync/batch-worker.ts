// Worker-thread entry of the batch pool (batch-pool.ts): only wiring.
import type { BatchTask } from './batch-pool';
import { encodePage, prepareBatch, readingsJson } from './prepare-batch';

export default function run(task: BatchTask) {
  switch (task.type) {
    case 'upload':
      return prepareBatch(task.body);
    case 'page':
      return encodePage(task.page);
    case 'readings':
      return readingsJson(task.readings);
  }
}
