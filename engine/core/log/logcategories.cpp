#include "core/log/logcategories.h"

Q_LOGGING_CATEGORY(lcCore, "pitwall.core")
Q_LOGGING_CATEGORY(lcConfig, "pitwall.config")
Q_LOGGING_CATEGORY(lcDb, "pitwall.db")
Q_LOGGING_CATEGORY(lcHttp, "pitwall.http")
Q_LOGGING_CATEGORY(lcMetrics, "pitwall.metrics")
Q_LOGGING_CATEGORY(lcRelay, "pitwall.relay")
Q_LOGGING_CATEGORY(lcUi, "pitwall.ui")
Q_LOGGING_CATEGORY(lcWatch, "pitwall.watch")
