#include "watch/limitapplier.h"

#include "watch/directlimitapplier.h"
#include "watch/helperclient.h"
#include "watch/helperlimitapplier.h"

#include <unistd.h>

namespace Pitwall {

LimitApplier::Access LimitApplier::Access::ofThisProcess()
{
    return {uint(::geteuid()), HelperClient::defaultLauncher()};
}

LimitApplier *LimitApplier::create(const Access &access, Liveness alive, QObject *parent)
{
    if (access.euid == 0)
        return new DirectLimitApplier(std::move(alive), parent);
    return new HelperLimitApplier(access.helperLauncher, std::move(alive), parent);
}

} // namespace Pitwall
