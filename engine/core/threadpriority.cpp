#include "core/threadpriority.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

id_t currentThreadId()
{
    return id_t(::syscall(SYS_gettid));
}

} // namespace

bool setCurrentThreadNice(int nice, QString *error)
{
    if (::setpriority(PRIO_PROCESS, currentThreadId(), nice) == 0)
        return true;
    *error = u"setpriority(%1): %2"_s.arg(nice).arg(QString::fromLocal8Bit(std::strerror(errno)));
    return false;
}

} // namespace Pitwall
