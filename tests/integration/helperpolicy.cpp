#include "toolrun.h"

#include <QFile>
#include <QFileInfo>
#include <QTest>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

namespace {

const QString policy = QStringLiteral(PITWALL_SOURCE_DIR "/installer/org.pitwall.helper.policy");
const QString polkitDtd = u"/usr/share/polkit-1/policyconfig-1.dtd"_s;

} // namespace

// The polkit action pkexec consults for pitwall-helper: valid against polkit's own DTD, and
// with the defaults and the exec path the helper's safety relies on.
class HelperPolicyTest final : public QObject
{
    Q_OBJECT

private slots:
    void validatesWithXmllint()
    {
        const ToolRun wellFormed = ToolRun::run(u"xmllint"_s, {u"--noout"_s, policy});
        QVERIFY2(wellFormed.ok(), wellFormed.describe(u"xmllint --noout"_s));
        if (!QFileInfo::exists(polkitDtd))
            QSKIP("polkitd's policyconfig-1.dtd is not installed: only well-formedness checked");
        const ToolRun valid =
            ToolRun::run(u"xmllint"_s, {u"--noout"_s, u"--dtdvalid"_s, polkitDtd, policy});
        QVERIFY2(valid.ok(), valid.describe(u"xmllint --dtdvalid"_s));
    }

    void declaresTheHelperAction()
    {
        QFile file(policy);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&file);
        QStringList actions;
        QHash<QString, QString> values;  // defaults and annotations of the one action
        QString annotation;
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            const QString name = xml.name().toString();
            if (name == u"action") {
                actions << xml.attributes().value(u"id"_s).toString();
            } else if (name.startsWith(u"allow_"_s)) {
                values.insert(name, xml.readElementText());
            } else if (name == u"annotate") {
                annotation = xml.attributes().value(u"key"_s).toString();
                values.insert(annotation, xml.readElementText());
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(actions, QStringList{u"org.pitwall.helper.apply-limits"_s});
        QCOMPARE(values.value(u"allow_any"_s), u"no"_s);
        QCOMPARE(values.value(u"allow_inactive"_s), u"no"_s);
        QCOMPARE(values.value(u"allow_active"_s), u"auth_admin_keep"_s);
        // Where the package installs the helper (prefix /usr).
        QCOMPARE(values.value(u"org.freedesktop.policykit.exec.path"_s),
                 u"/usr/" PITWALL_LIBEXECDIR "/pitwall/pitwall-helper"_s);
    }
};

QTEST_APPLESS_MAIN(HelperPolicyTest)
#include "helperpolicy.moc"
