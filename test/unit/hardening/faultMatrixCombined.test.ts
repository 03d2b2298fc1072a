// The fault matrix's second half (faultScenario.ts): faults on every key, and several at once.
import { ACCOUNT_AND_COMBINED_SCENARIOS, describeFaultMatrix, MATRIX_LOAD } from './faultScenario';

describeFaultMatrix(
  `fault matrix: faults on every key and combined, ${MATRIX_LOAD.count} mixed requests`,
  ACCOUNT_AND_COMBINED_SCENARIOS,
);
