#include "systemuser.h"

#include "toolrun.h"

#include <pwd.h>

using namespace Qt::StringLiterals;

uint ensureSystemUser(const QString &name)
{
    if (const passwd *entry = ::getpwnam(name.toLocal8Bit().constData()))
        return entry->pw_uid;
    const ToolRun add = ToolRun::run(u"useradd"_s, {u"-r"_s, name});
    const passwd *entry = ::getpwnam(name.toLocal8Bit().constData());
    if (!entry)
        qFatal("%s", add.describe(u"useradd -r "_s + name).constData());
    return entry->pw_uid;
}
