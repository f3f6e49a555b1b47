# Old -> new fully qualified names of issue #11's package moves (runtime).
# Apply to Java sources, poms and docs: sed -i -E -f moves.sed FILE...
# Idempotent. Package lines of files still in an old package must be fixed by hand
# (dev.dynconfig.document splits into internal.json and internal.document).
s/\bdev\.dynconfig\.document\.Json\b/dev.dynconfig.internal.json.Json/g
s/\bdev\.dynconfig\.document\.StrictJsonReader\b/dev.dynconfig.internal.json.StrictJsonReader/g
s/\bdev\.dynconfig\.document\.JacksonReader\b/dev.dynconfig.internal.json.JacksonReader/g
s/\bdev\.dynconfig\.document\.PlainJson\b/dev.dynconfig.internal.json.PlainJson/g
s/\bdev\.dynconfig\.document\.DocumentException\b/dev.dynconfig.internal.json.DocumentException/g
s/\bdev\.dynconfig\.jmx\.StrictJson\b/dev.dynconfig.internal.json.StrictJson/g
s/\bdev\.dynconfig\.document\.Document\b/dev.dynconfig.internal.document.Document/g
s/\bdev\.dynconfig\.document\.DocumentParser\b/dev.dynconfig.internal.document.DocumentParser/g
s/\bdev\.dynconfig\.document\.Validator\b/dev.dynconfig.internal.document.Validator/g
s/\bdev\.dynconfig\.document\.FlagdFlag\b/dev.dynconfig.internal.document.FlagdFlag/g
s/\bdev\.dynconfig\.sync\.AtomicFiles\b/dev.dynconfig.internal.files.AtomicFiles/g
s/\bdev\.dynconfig\.source(\.|;|\b)/dev.dynconfig.internal.source\1/g
s/\bdev\.dynconfig\.sync(\.|;|\b)/dev.dynconfig.internal.source.remote\1/g
s/\bdev\.dynconfig\.rules(\.|;|\b)/dev.dynconfig.internal.rules\1/g
s/\bdev\.dynconfig\.insight(\.|;|\b)/dev.dynconfig.internal.insight\1/g
s/\bdev\.dynconfig\.cli(\.|;|\b)/dev.dynconfig.internal.cli\1/g
# A logger name operators configure, not a package: it keeps its name.
s/"dev\.dynconfig\.internal\.rules\.log"/"dev.dynconfig.rules.log"/g
# Shared test fixtures (runtime's test-jar, package dev.dynconfig.testing). Same-package uses
# without an import (JudgingSink, the server's RecordingSink/MutableClock, VersionRecorder) need an
# import of dev.dynconfig.testing.RecordingSink / MutableClock by hand.
s/\bdev\.dynconfig\.reliability\.Await\b/dev.dynconfig.testing.Await/g
s/\bdev\.dynconfig\.server\.ServerFixture\.await\b/dev.dynconfig.testing.Await.await/g
s/\bdev\.dynconfig\.server\.chaos\.Chaos\.await\b/dev.dynconfig.testing.Await.await/g
s/\bdev\.dynconfig\.store\.postgresql\.PostgresStoreTest\.await\b/dev.dynconfig.testing.Await.await/g
s/\bServerFixture\.await\(/Await.await(/g
s/\bChaos\.await\(/Await.await(/g
s/\bnew JudgingSink\(\)/RecordingSink.judgingFlagDocuments()/g
s/\bJudgingSink\b/RecordingSink/g
s/\bVersionRecorder\b/RecordingSink/g
# Rules: Nodes splits into one class per operator family (issue #11, one job per class).
s/\bNodes\.(Literal|ArrayNode)\b/ValueNodes.\1/g
s/\bNodes\.(Var|Missing|MissingSome|splitPath|child|resolve|whole|missing|castList)\b/DataNodes.\1/g
s/\bNodes\.(If|And|Not|Equality|Compare)\b/LogicNodes.\1/g
s/\bNodes\.(MinMax|Plus|Times|Arith)\b/NumberNodes.\1/g
s/\bNodes\.(Loop|Reduce|ReduceScope|Merge|In)\b/ArrayNodes.\1/g
s/\bNodes\.(Cat|Substr|Log|appendJoined)\b/StringNodes.\1/g
s/\bNodes\.(Affix|SemVerNode)\b/FlagdNodes.\1/g
s/\bNodes\.Fractional\b/Fractional/g
s/\bNodes\.(U|arg|orNull)\b/Node.\1/g
