#include "testenvironment.h"

#include <QtGlobal>

namespace TestEnvironment {

QString dialect()
{
    const QString value = qEnvironmentVariable("PITWALL_TEST_DIALECT");
    return value.isEmpty() ? QStringLiteral("sqlite") : value;
}

QString postgresAdminUrl()
{
    return qEnvironmentVariable("PITWALL_TEST_PG_URL");
}

bool postgresRequired()
{
    return qEnvironmentVariable("PITWALL_REQUIRE_POSTGRES") == QLatin1String("1");
}

} // namespace TestEnvironment
