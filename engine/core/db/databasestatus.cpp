#include "core/db/databasestatus.h"

#include <QMetaEnum>

namespace Pitwall {

QString DatabaseStatus::stateName(State state)
{
    return QString::fromLatin1(QMetaEnum::fromType<State>().valueToKey(int(state))).toLower();
}

} // namespace Pitwall
