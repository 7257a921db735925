"""Deployment artefacts: `chalice package` output plus the tables from infra/tables.py,
problem+json gateway responses, a table-scoped IAM policy and the token secret parameter.

    python -m infra.template build/ [--stage dev]   -> build/sam.json, build/deployment.zip
"""
import argparse
import compileall
import json
import os
import py_compile
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from chalicelib.core import headers as security_headers
from chalicelib.core.gateway_responses import GATEWAY_PROBLEMS
from infra.tables import TABLES, cloudformation_resource

ROOT = Path(__file__).resolve().parent.parent
# Shipped with the Lambda Python runtime: not packaged (keeps the zip small).
RUNTIME_PROVIDED = ("botocore", "boto3", "s3transfer", "jmespath", "dateutil", "urllib3", "six.py",
                    "python_dateutil", "jmespath-", "urllib3-", "botocore-", "six-", "s3transfer-")


def _chalice_package(stage: str, out: Path) -> None:
    env = {**os.environ, "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "ap-southeast-1")}
    chalice = Path(sys.executable).with_name("chalice")
    subprocess.run([str(chalice), "package", "--stage", stage, str(out)],
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def slim_zip(path: Path) -> None:
    """Rewrite the deployment zip without what the runtime already has, and with bytecode
    (Lambda's file system is read-only: without .pyc every cold start compiles every module)."""
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        with zipfile.ZipFile(path) as source:
            for info in source.infolist():
                if not info.filename.split("/")[0].startswith(RUNTIME_PROVIDED):
                    source.extract(info, root)
        compileall.compile_dir(root, quiet=1, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
            for file in sorted(root.rglob("*")):
                if file.is_file():
                    info = zipfile.ZipInfo(str(file.relative_to(root)), date_time=(2020, 1, 1, 0, 0, 0))
                    info.external_attr = (0o755 if os.access(file, os.X_OK) else 0o644) << 16
                    info.compress_type = zipfile.ZIP_DEFLATED
                    target.writestr(info, file.read_bytes())


def _problem_template(status: int, title: str, detail: str) -> str:
    return json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail})


def extend(template: dict) -> dict:
    resources = template["Resources"]
    template.setdefault("Parameters", {})["TokenSecret"] = {
        "Type": "String", "NoEcho": True, "MinLength": 32,
        "Description": "Signing key of access tokens (keep it in a secrets store)"}
    table_arns = []
    for spec in TABLES:
        resources[spec.logical_id] = cloudformation_resource(spec, {"Fn::Sub": "${AWS::StackName}-" + spec.logical_id.lower()})
        table_arns += [{"Fn::GetAtt": [spec.logical_id, "Arn"]},
                       {"Fn::Sub": "${" + spec.logical_id + ".Arn}/index/*"}]
    for resource in resources.values():
        if resource["Type"] == "AWS::Serverless::Function":
            variables = resource["Properties"].setdefault("Environment", {}).setdefault("Variables", {})
            for spec in TABLES:
                variables[spec.env_var] = {"Ref": spec.logical_id}
            variables["QUAY_TOKEN_SECRET"] = {"Ref": "TokenSecret"}
    resources["DefaultRole"]["Properties"]["Policies"].append({"PolicyName": "QuayTables", "PolicyDocument": {
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": table_arns, "Action": [
            "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
            "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem",
            "dynamodb:DescribeTable"]}]}})
    _wire_table_stream(resources)
    _channel_work_queue(resources)
    for response_type, (status, title, detail) in GATEWAY_PROBLEMS.items():
        name = "Problem" + "".join(part.title() for part in response_type.split("_"))
        resources[name] = {"Type": "AWS::ApiGateway::GatewayResponse", "Properties": {
            "RestApiId": {"Ref": "RestAPI"}, "ResponseType": response_type, "StatusCode": str(status),
            "ResponseTemplates": {"application/json": _problem_template(status, title, detail)},
            "ResponseParameters": {"gatewayresponse.header.Content-Type": "'application/problem+json'"}}}
        resources[name]["Properties"]["ResponseParameters"].update(
            {f"gatewayresponse.header.{header}": f"'{value}'"
             for header, value in security_headers.for_api("application/problem+json").items()})
    resources.update(pwa_hosting(resources["RestAPI"]["Properties"]["StageName"]))
    outputs = template.setdefault("Outputs", {})
    outputs["TableName"] = {"Value": {"Ref": TABLES[0].logical_id}}
    outputs["AppUrl"] = {"Value": {"Fn::Sub": "https://${AppDistribution.DomainName}"}}
    outputs["AppBucket"] = {"Value": {"Ref": "AppBucket"}}
    return template


def _wire_table_stream(resources: dict) -> None:
    """The stream handler reads the main table's stream: the ARN placeholder in chalicelib/flows/stream.py
    becomes the table's StreamArn; a failing batch is retried, halved to find the bad record, then dropped
    after 10 tries (the subscribers are idempotent, so a retried batch changes nothing twice)."""
    from chalicelib.flows.stream import STREAM_ARN

    stream_arn = {"Fn::GetAtt": [TABLES[0].logical_id, "StreamArn"]}
    for resource in resources.values():
        properties = resource.get("Properties", {})
        if resource["Type"] == "AWS::Serverless::Function":
            for event in properties.get("Events", {}).values():
                if event.get("Type") == "DynamoDB" and event["Properties"].get("Stream") == STREAM_ARN:
                    event["Properties"].update({"Stream": stream_arn, "MaximumRetryAttempts": 10,
                                                "BisectBatchOnFunctionError": True})
        if resource["Type"] == "AWS::Lambda::EventSourceMapping" and properties.get("EventSourceArn") == STREAM_ARN:
            properties.update({"EventSourceArn": stream_arn, "MaximumRetryAttempts": 10,
                               "BisectBatchOnFunctionError": True})
    resources["DefaultRole"]["Properties"]["Policies"].append({"PolicyName": "QuayTableStream", "PolicyDocument": {
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": stream_arn, "Action": [
            "dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"]}]}})


def _channel_work_queue(resources: dict) -> None:
    """The queue `channels/jobs.py` consumes (`on_sqs_message(queue="quay-channel-work")`): created here,
    its URL given to every function (the scheduler and the stream enqueue), with a dead-letter queue
    after 5 failed receipts. Visibility outlasts the consumer's timeout, so a message is worked once."""
    from chalicelib.channels.queue import QUEUE_NAME

    resources["ChannelWorkDeadLetters"] = {"Type": "AWS::SQS::Queue", "Properties": {
        "QueueName": f"{QUEUE_NAME}-dlq", "MessageRetentionPeriod": 1209600, "SqsManagedSseEnabled": True}}
    resources["ChannelWorkQueue"] = {"Type": "AWS::SQS::Queue", "Properties": {
        "QueueName": QUEUE_NAME, "VisibilityTimeout": 360, "SqsManagedSseEnabled": True,
        "RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": ["ChannelWorkDeadLetters", "Arn"]}, "maxReceiveCount": 5}}}
    for resource in resources.values():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"]["Environment"]["Variables"]["QUAY_CHANNEL_QUEUE_URL"] = {"Ref": "ChannelWorkQueue"}
            for event in resource["Properties"].get("Events", {}).values():
                if event.get("Type") == "SQS":
                    event["Properties"]["Queue"] = {"Fn::GetAtt": ["ChannelWorkQueue", "Arn"]}
    resources["DefaultRole"]["Properties"]["Policies"].append({"PolicyName": "QuayChannelWork", "PolicyDocument": {
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": {"Fn::GetAtt": ["ChannelWorkQueue", "Arn"]},
                                                "Action": ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage",
                                                           "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"]}]}})


def pwa_hosting(stage: str) -> dict:
    """The PWA from a private S3 bucket through CloudFront, with the API under /api/* on the same
    origin (no CORS, one cookie-free origin), and the security headers as a response headers
    policy (the same values as locally: chalicelib/core/headers.py)."""
    app_headers = security_headers.for_app((ROOT / "web" / "index.html").read_text(encoding="utf-8"))
    no_cache = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # AWS managed policy CachingDisabled
    optimized = "658327ea-f89d-4fab-a63d-7e88639e58f6"  # AWS managed policy CachingOptimized
    all_but_host = "b689b0a8-53d0-40ab-baf2-68738e2966ac"  # AllViewerExceptHostHeader
    return {
        "AppBucket": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
                      "Properties": {
                          "PublicAccessBlockConfiguration": {"BlockPublicAcls": True, "BlockPublicPolicy": True,
                                                             "IgnorePublicAcls": True, "RestrictPublicBuckets": True},
                          "BucketEncryption": {"ServerSideEncryptionConfiguration": [
                              {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}}},
        "AppOriginAccess": {"Type": "AWS::CloudFront::OriginAccessControl", "Properties": {
            "OriginAccessControlConfig": {"Name": {"Fn::Sub": "${AWS::StackName}-app"}, "OriginAccessControlOriginType": "s3",
                                          "SigningBehavior": "always", "SigningProtocol": "sigv4"}}},
        "AppBucketPolicy": {"Type": "AWS::S3::BucketPolicy", "Properties": {
            "Bucket": {"Ref": "AppBucket"}, "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject",
                "Resource": {"Fn::Sub": "${AppBucket.Arn}/*"},
                "Condition": {"StringEquals": {"AWS:SourceArn": {
                    "Fn::Sub": "arn:aws:cloudfront::${AWS::AccountId}:distribution/${AppDistribution}"}}}}]}}},
        "AppSecurityHeaders": {"Type": "AWS::CloudFront::ResponseHeadersPolicy", "Properties": {
            "ResponseHeadersPolicyConfig": {
                "Name": {"Fn::Sub": "${AWS::StackName}-security-headers"},
                "SecurityHeadersConfig": {
                    "ContentSecurityPolicy": {"ContentSecurityPolicy": app_headers["Content-Security-Policy"],
                                              "Override": False},
                    "ContentTypeOptions": {"Override": True},
                    "FrameOptions": {"FrameOption": "DENY", "Override": False},
                    "ReferrerPolicy": {"ReferrerPolicy": "no-referrer", "Override": True},
                    "StrictTransportSecurity": {"AccessControlMaxAgeSec": 31536000, "IncludeSubdomains": True,
                                                "Override": True}},
                "CustomHeadersConfig": {"Items": [
                    {"Header": "Permissions-Policy", "Value": app_headers["Permissions-Policy"], "Override": False},
                    {"Header": "Cross-Origin-Opener-Policy", "Value": app_headers["Cross-Origin-Opener-Policy"],
                     "Override": False}]}}}},
        "AppDistribution": {"Type": "AWS::CloudFront::Distribution", "Properties": {"DistributionConfig": {
            "Enabled": True, "HttpVersion": "http2and3", "DefaultRootObject": "index.html", "PriceClass": "PriceClass_200",
            "Origins": [
                {"Id": "app", "DomainName": {"Fn::GetAtt": ["AppBucket", "RegionalDomainName"]},
                 "OriginAccessControlId": {"Fn::GetAtt": ["AppOriginAccess", "Id"]},
                 "S3OriginConfig": {"OriginAccessIdentity": ""}},
                {"Id": "api", "DomainName": {"Fn::Sub": "${RestAPI}.execute-api.${AWS::Region}.amazonaws.com"},
                 "OriginPath": f"/{stage}",
                 "CustomOriginConfig": {"OriginProtocolPolicy": "https-only", "OriginSSLProtocols": ["TLSv1.2"]}}],
            "DefaultCacheBehavior": {"TargetOriginId": "app", "ViewerProtocolPolicy": "redirect-to-https",
                                     "CachePolicyId": optimized, "Compress": True,
                                     "ResponseHeadersPolicyId": {"Ref": "AppSecurityHeaders"}},
            "CacheBehaviors": [{"PathPattern": "/api/*", "TargetOriginId": "api",
                                "ViewerProtocolPolicy": "https-only", "CachePolicyId": no_cache,
                                "OriginRequestPolicyId": all_but_host, "Compress": True,
                                "AllowedMethods": ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"],
                                "ResponseHeadersPolicyId": {"Ref": "AppSecurityHeaders"}}]}}},
    }


def build(out: Path, stage: str = "dev") -> Path:
    _chalice_package(stage, out)
    slim_zip(out / "deployment.zip")
    sam = out / "sam.json"
    sam.write_text(json.dumps(extend(json.loads(sam.read_text())), indent=2))
    return sam


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--stage", default="dev")
    arguments = parser.parse_args()
    print(build(arguments.out, arguments.stage))
