// Test preload: keep the server's own logs out of test output (tests assert behaviour, not log lines).
import { setLogLevel } from '../src/shared/log'

setLogLevel('error')
