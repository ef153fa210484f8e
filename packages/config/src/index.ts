export { loadConfig, ConfigError, env } from './load.js';
export {
  commonConfigSchema,
  resolveCommonConfig,
  SERVICE_NAMES,
  type CommonConfig,
  type CommonEnv,
  type ServiceName,
  type ServiceUrls,
} from './common.js';
