#include "vodconsoleservice.h"

#include "vod/chatstore.h"
#include "vod/vodstore.h"

namespace Pitwall {

VodConsoleService::VodConsoleService(const Database &database, QObject *parent)
    : QObject(parent)
    , m_database(database)
{
}

void VodConsoleService::loadVods()
{
    StoreError error;
    VodListFilter all;
    all.limit = 0;
    if (const auto vods = VodStore(m_database).list(all, &error))
        emit vodsLoaded(*vods);
    else
        emit failed(tr("Cannot load the VOD queue: %1").arg(error.message));
}

void VodConsoleService::loadChat(const QString &vodId, int limit)
{
    StoreError error;
    ChatQuery query;
    query.limit = limit;
    if (const auto rows = ChatStore(m_database).messages(vodId, query, &error))
        emit chatLoaded(vodId, *rows);
    else
        emit failed(tr("Cannot load the chat of %1: %2").arg(vodId, error.message));
}

} // namespace Pitwall
