#pragma once

#include <QString>

namespace Pitwall {

// Sets the nice value of the calling thread. On Linux the nice value belongs to each thread
// (setpriority(2) on a thread id), and threads the caller starts later inherit it. Raising a
// thread's priority back needs CAP_SYS_NICE; lowering it never does. False with the reason.
bool setCurrentThreadNice(int nice, QString *error);

} // namespace Pitwall
