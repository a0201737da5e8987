'use strict';

module.exports = {
  port: Number(process.env.APP_PORT || 4000),
  greeting: process.env.GREETING || 'hello',
};
