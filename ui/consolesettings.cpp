#include "consolesettings.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

const QString WatchEnabledKey = u"watch/enabled"_s;
const QString WatchConfigFileKey = u"watch/config_file"_s;

} // namespace

ConsoleSettings::ConsoleSettings()
    : m_settings(u"pitwall"_s, u"pitwall"_s)
{
}

bool ConsoleSettings::watchEnabled() const
{
    return m_settings.value(WatchEnabledKey, false).toBool();
}

QString ConsoleSettings::watchConfigFile() const
{
    return m_settings.value(WatchConfigFileKey).toString();
}

QString ConsoleSettings::enabledWatchConfigFile() const
{
    return watchEnabled() ? watchConfigFile() : QString();
}

void ConsoleSettings::setWatch(bool enabled, const QString &configFile)
{
    m_settings.setValue(WatchEnabledKey, enabled);
    m_settings.setValue(WatchConfigFileKey, configFile);
}

} // namespace Pitwall
