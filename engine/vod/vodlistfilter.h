#pragma once

#include <QString>

namespace Pitwall {

// Which rows VodStore::list() returns, newest first (date, then id, descending).
struct VodListFilter
{
    QString channel; // empty: every channel
    int limit = 50;  // 0: no limit
    int offset = 0;
};

} // namespace Pitwall
