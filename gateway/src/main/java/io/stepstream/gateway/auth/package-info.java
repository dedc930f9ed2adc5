/** Who may call the API: AWS Signature Version 4 request signatures checked against configured access keys. */
package io.stepstream.gateway.auth;
